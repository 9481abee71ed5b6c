// Generated from Spark's spark/connect/*.proto by scripts/generate-spark-connect-protos.sh.
