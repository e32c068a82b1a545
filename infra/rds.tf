# drop-db: PostgreSQL 16, database dropapp, user dropuser (DR runbook "Database").
resource "aws_security_group" "db" {
  name        = "drop-db"
  description = "drop-db: PostgreSQL from App Runner only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_apprunner" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the App Runner VPC connector"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.apprunner.id
}

resource "aws_db_instance" "main" {
  identifier     = "drop-db"
  engine         = "postgres"
  engine_version = "16"
  instance_class = var.db_instance_class

  db_name             = "dropapp"
  username            = "dropuser"
  password_wo         = var.db_master_password
  password_wo_version = var.db_master_password_version

  allocated_storage     = var.db_allocated_storage_gb
  max_allocated_storage = var.db_max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true

  db_subnet_group_name   = var.db_subnet_group_name
  vpc_security_group_ids = concat([aws_security_group.db.id], var.db_extra_security_group_ids)
  publicly_accessible    = false

  # Automated snapshots daily 23:24-23:54 UTC, kept 7 days, with point-in-time recovery
  # (DR runbook "Backup Strategy"). Manual and pre-deploy snapshots are kept until deleted.
  backup_retention_period  = 7
  backup_window            = "23:24-23:54"
  maintenance_window       = "sun:01:00-sun:02:00"
  copy_tags_to_snapshot    = true
  delete_automated_backups = false

  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "drop-db-final"

  auto_minor_version_upgrade      = true
  allow_major_version_upgrade     = false
  enabled_cloudwatch_logs_exports = ["postgresql"]
  performance_insights_enabled    = true

  lifecycle {
    prevent_destroy = true
  }
}
