#!/usr/bin/env bash
# docker-compose.yml's Kafka nodes start with this, then the image's own start (/etc/kafka/docker/run).
# It formats the node's log directory once, creating the SASL/SCRAM-SHA-512 users before the node runs
# (`kafka-storage.sh format --add-scram`): the brokers sign in to each other as `broker`, so its
# credentials must exist before any broker can. An already formatted directory is left as it is.
# The users are shared/messaging/acls.py's USERS (tests/foundation/test_compose.py checks it); each
# password comes from MENTORNET_KAFKA_PASSWORD_<USER>.
set -euo pipefail

props=$(mktemp)
cat > "$props" <<PROPERTIES
process.roles=$KAFKA_PROCESS_ROLES
node.id=$KAFKA_NODE_ID
controller.quorum.voters=$KAFKA_CONTROLLER_QUORUM_VOTERS
controller.listener.names=$KAFKA_CONTROLLER_LISTENER_NAMES
listeners=$KAFKA_LISTENERS
advertised.listeners=$KAFKA_ADVERTISED_LISTENERS
listener.security.protocol.map=$KAFKA_LISTENER_SECURITY_PROTOCOL_MAP
inter.broker.listener.name=$KAFKA_INTER_BROKER_LISTENER_NAME
sasl.enabled.mechanisms=$KAFKA_SASL_ENABLED_MECHANISMS
sasl.mechanism.inter.broker.protocol=$KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL
sasl.mechanism.controller.protocol=$KAFKA_SASL_MECHANISM_CONTROLLER_PROTOCOL
log.dirs=$KAFKA_LOG_DIRS
PROPERTIES

users=()
for user in admin broker intake matching sessions reporting; do
  variable="MENTORNET_KAFKA_PASSWORD_${user^^}"
  users+=(--add-scram "SCRAM-SHA-512=[name=$user,password=${!variable:?set $variable}]")
done
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "$CLUSTER_ID" --config "$props" "${users[@]}"
rm -f "$props"

# the healthcheck's sign-in (as the operator): kafka-broker-api-versions.sh --command-config
umask 077
cat > /tmp/mentornet-admin.properties <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$MENTORNET_KAFKA_PASSWORD_ADMIN";
PROPERTIES

exec /etc/kafka/docker/run
