# Secrets Drop reads from its environment. Terraform creates the secrets and grants App Runner
# access; the values are set by an operator and never pass through Terraform:
#   aws secretsmanager put-secret-value --secret-id drop/production/jwt-secret \
#     --secret-string "$(openssl rand -base64 48)" --region eu-west-1
#   aws secretsmanager put-secret-value --secret-id drop/production/database-url \
#     --secret-string 'postgres://dropuser:<password>@<endpoint>:5432/dropapp?sslmode=verify-full' ...
# Every secret below needs a value before the first deployment (App Runner cannot start
# otherwise). Rotation: operational runbook section 5.
locals {
  app_secrets = {
    DATABASE_URL         = "drop/production/database-url"
    JWT_SECRET           = "drop/production/jwt-secret"
    SLACK_WEBHOOK_URL    = "drop/production/slack-webhook-url"
    METRICS_TOKEN        = "drop/production/metrics-token"
    DATA_ENCRYPTION_KEY      = "drop/production/data-encryption-key"
    BANKID_CLIENT_ID     = "drop/production/bankid-client-id"
    BANKID_CLIENT_SECRET = "drop/production/bankid-client-secret"
    SUMSUB_APP_TOKEN      = "drop/production/sumsub-app-token"
    SUMSUB_SECRET_KEY     = "drop/production/sumsub-secret-key"
    SUMSUB_WEBHOOK_SECRET = "drop/production/sumsub-webhook-secret"
    WISE_API_TOKEN          = "drop/production/wise-api-token"
    WISE_PROFILE_ID         = "drop/production/wise-profile-id"
    WISE_WEBHOOK_PUBLIC_KEY = "drop/production/wise-webhook-public-key"
    SMTP_URL                = "drop/production/smtp-url"
  }
}

resource "aws_secretsmanager_secret" "app" {
  for_each = local.app_secrets

  name                    = each.value
  description             = "Drop production ${each.key}"
  recovery_window_in_days = 30
}
