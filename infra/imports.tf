# Production already exists (see the runbooks): adopt it instead of creating it again. Review the
# first plan carefully; `prevent_destroy` stops any plan that would replace the service or the
# database. Delete this file when building a fresh environment.
import {
  to = aws_ecr_repository.web
  id = "drop-web"
}

import {
  to = aws_db_instance.main
  id = "drop-db"
}

import {
  to = aws_apprunner_service.web
  id = "arn:aws:apprunner:eu-west-1:324480209768:service/drop-web/8e45b0d335304487a1880f4e32d6aeec"
}
