variable "region" {
  description = "AWS region of production (runbooks: eu-west-1, Ireland)."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the App Runner service and the ECR repository."
  type        = string
  default     = "drop-web"
}

variable "public_url" {
  description = "Public https URL of Drop (PUBLIC_URL). The App Runner URL until getdrop.no is live."
  type        = string
  default     = "https://9ef3szvvsb.eu-west-1.awsapprunner.com"

  validation {
    condition     = startswith(var.public_url, "https://")
    error_message = "Production requires an https PUBLIC_URL."
  }
}

variable "image_tag" {
  description = "Image tag App Runner starts with when the service is created. Later deploys are done by .github/workflows/deploy-aws.yml, which Terraform leaves alone."
  type        = string
  default     = "latest"
}

variable "vpc_id" {
  description = "VPC of the database and of App Runner's VPC connector."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (at least two AZs) for App Runner's VPC connector. They need a NAT gateway: Drop calls Slack, BankID, Sumsub and the payout partner on the internet."
  type        = list(string)
}

variable "db_subnet_group_name" {
  description = "DB subnet group of drop-db (the runbooks restore into \"default\")."
  type        = string
  default     = "default"
}

variable "db_extra_security_group_ids" {
  description = "More security groups on drop-db, e.g. the bastion's or VPN's that operators use for psql (runbook 6.1)."
  type        = list(string)
  default     = []
}

variable "db_instance_class" {
  description = "RDS instance class (the runbooks restore into db.t4g.micro)."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_allocated_storage_gb" {
  description = "Initial storage; grows automatically up to db_max_allocated_storage_gb (runbook 3.2 alerts below 2 GB free)."
  type        = number
  default     = 20
}

variable "db_max_allocated_storage_gb" {
  description = "Storage autoscaling limit."
  type        = number
  default     = 100
}

variable "db_master_password" {
  description = "RDS master password for dropuser (TF_VAR_db_master_password). Write-only: sent to AWS only when the instance is created or db_master_password_version changes, never stored in the state. Rotation: runbook 5.2."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "db_master_password_version" {
  description = "Increase to push a new db_master_password."
  type        = number
  default     = 1
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose deploy workflow may assume the deploy role."
  type        = string
}

variable "min_instances" {
  description = "App Runner: instances kept warm."
  type        = number
  default     = 1
}

variable "max_instances" {
  description = "App Runner: scaling limit."
  type        = number
  default     = 3
}

variable "company_org_number" {
  description = "Drop's organisation number (Brønnøysundregistrene), printed on customer receipts."
  type        = string
}

variable "fiu_reporting_entity_id" {
  description = "The numeric goAML reporting-entity id ØKOKRIM's FIU gave Drop (STR exports); production refuses the development placeholder 1000."
  type        = string
}
