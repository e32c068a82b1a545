# The role .github/workflows/deploy-aws.yml assumes through GitHub's OIDC provider: no stored AWS
# keys. Only jobs of var.github_repository running in its "production" environment may assume it.
resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "github_deploy" {
  name = "drop-github-deploy"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:${var.github_repository}:environment:production"
        }
      }
    }]
  })
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  db_arn     = "arn:aws:rds:${var.region}:${local.account_id}:db:${aws_db_instance.main.identifier}"
}

resource "aws_iam_role_policy" "github_deploy" {
  name = "deploy-drop"
  role = aws_iam_role.github_deploy.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "EcrLogin"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = "*"
      },
      {
        Sid    = "EcrPush"
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
          "ecr:CompleteLayerUpload",
          "ecr:DescribeImages",
          "ecr:GetDownloadUrlForLayer",
          "ecr:InitiateLayerUpload",
          "ecr:PutImage",
          "ecr:UploadLayerPart",
        ]
        Resource = aws_ecr_repository.web.arn
      },
      {
        Sid      = "PreDeploySnapshot"
        Effect   = "Allow"
        Action   = ["rds:CreateDBSnapshot", "rds:AddTagsToResource"]
        Resource = [local.db_arn, "arn:aws:rds:${var.region}:${local.account_id}:snapshot:drop-db-pre-deploy-*"]
      },
      {
        Sid      = "WaitForSnapshot"
        Effect   = "Allow"
        Action   = ["rds:DescribeDBSnapshots"]
        Resource = "*"
      },
      {
        Sid    = "Deploy"
        Effect = "Allow"
        Action = [
          "apprunner:DescribeService",
          "apprunner:ListOperations",
          "apprunner:StartDeployment",
          "apprunner:UpdateService",
        ]
        Resource = aws_apprunner_service.web.arn
      },
      {
        Sid      = "PassAccessRole"
        Effect   = "Allow"
        Action   = ["iam:PassRole"]
        Resource = aws_iam_role.apprunner_access.arn
      },
      {
        Sid      = "ReadDeployLogs"
        Effect   = "Allow"
        Action   = ["logs:DescribeLogGroups", "logs:FilterLogEvents"]
        Resource = "arn:aws:logs:${var.region}:${local.account_id}:log-group:/aws/apprunner/${var.name}/*"
      },
    ]
  })
}
