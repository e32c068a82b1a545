# The App Runner service drop-web: the image from ECR, configuration in plain variables, secrets
# from Secrets Manager, egress through a VPC connector to reach drop-db.

# Lets App Runner pull from the private ECR repository.
resource "aws_iam_role" "apprunner_access" {
  name = "${var.name}-apprunner-ecr-access"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "build.apprunner.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "apprunner_access_ecr" {
  role       = aws_iam_role.apprunner_access.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSAppRunnerServicePolicyForECRAccess"
}

# The running instances' role: reads Drop's secrets, nothing else.
resource "aws_iam_role" "apprunner_instance" {
  name = "${var.name}-apprunner-instance"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "tasks.apprunner.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "apprunner_instance_secrets" {
  name = "read-drop-secrets"
  role = aws_iam_role.apprunner_instance.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = [for secret in aws_secretsmanager_secret.app : secret.arn]
    }]
  })
}

resource "aws_security_group" "apprunner" {
  name        = "${var.name}-apprunner"
  description = "App Runner VPC connector of ${var.name}"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "apprunner_all" {
  security_group_id = aws_security_group.apprunner.id
  description       = "PostgreSQL and the providers' HTTPS APIs (through the NAT gateway)"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_apprunner_vpc_connector" "main" {
  vpc_connector_name = var.name
  subnets            = var.private_subnet_ids
  security_groups    = [aws_security_group.apprunner.id]
}

resource "aws_apprunner_auto_scaling_configuration_version" "main" {
  auto_scaling_configuration_name = var.name
  min_size                        = var.min_instances
  max_size                        = var.max_instances
  max_concurrency                 = 100
}

resource "aws_apprunner_service" "web" {
  service_name                   = var.name
  auto_scaling_configuration_arn = aws_apprunner_auto_scaling_configuration_version.main.arn

  source_configuration {
    auto_deployments_enabled = false

    authentication_configuration {
      access_role_arn = aws_iam_role.apprunner_access.arn
    }

    image_repository {
      image_identifier      = "${aws_ecr_repository.web.repository_url}:${var.image_tag}"
      image_repository_type = "ECR"

      image_configuration {
        port = "3000"

        runtime_environment_variables = {
          NODE_ENV    = "production"
          HOST        = "0.0.0.0"
          PORT        = "3000"
          PUBLIC_URL  = var.public_url
          LOG_LEVEL   = "info"
          WORKER_MODE = "inline"
          # BankID production realm (operational runbook 8.2: BankID variables).
          BANKID_ISSUER = "https://auth.bankid.no/auth/realms/prod"
          # Payouts through Wise's production API; the organisation number printed on receipts.
          WISE_API_URL       = "https://api.transferwise.com"
          COMPANY_ORG_NUMBER = var.company_org_number
          # Drop's goAML reporting-entity id from ØKOKRIM's FIU, in its STR exports.
          FIU_REPORTING_ENTITY_ID = var.fiu_reporting_entity_id
        }

        runtime_environment_secrets = {
          for variable_name, secret in aws_secretsmanager_secret.app : variable_name => secret.arn
        }
      }
    }
  }

  instance_configuration {
    cpu               = "1024"
    memory            = "2048"
    instance_role_arn = aws_iam_role.apprunner_instance.arn
  }

  # 200 when the database answers, 503 when not (SPEC: GET /api/health).
  health_check_configuration {
    protocol            = "HTTP"
    path                = "/api/health"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 1
    unhealthy_threshold = 3
  }

  network_configuration {
    ingress_configuration {
      is_publicly_accessible = true
    }

    egress_configuration {
      egress_type       = "VPC"
      vpc_connector_arn = aws_apprunner_vpc_connector.main.arn
    }
  }

  lifecycle {
    # Its ARN and URL are in the runbooks: never replace it by accident.
    prevent_destroy = true
    # Which image runs is the deploy workflow's business (deploy-aws.yml, rollback by image_tag).
    ignore_changes = [source_configuration[0].image_repository[0].image_identifier]
  }

  depends_on = [
    aws_iam_role_policy_attachment.apprunner_access_ecr,
    aws_iam_role_policy.apprunner_instance_secrets,
  ]
}
