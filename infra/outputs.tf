output "service_arn" {
  description = "App Runner service ARN (APP_RUNNER_SERVICE_ARN in deploy-aws.yml)."
  value       = aws_apprunner_service.web.arn
}

output "service_url" {
  description = "App Runner URL."
  value       = "https://${aws_apprunner_service.web.service_url}"
}

output "ecr_repository_url" {
  description = "Where deploy-aws.yml pushes images."
  value       = aws_ecr_repository.web.repository_url
}

output "db_endpoint" {
  description = "drop-db endpoint (host:port) for DATABASE_URL."
  value       = aws_db_instance.main.endpoint
}

output "github_deploy_role_arn" {
  description = "Set as the repository variable AWS_DEPLOY_ROLE_ARN."
  value       = aws_iam_role.github_deploy.arn
}

output "secret_arns" {
  description = "Secrets that need a value before the first deploy."
  value       = { for variable_name, secret in aws_secretsmanager_secret.app : variable_name => secret.arn }
}
