package io.pgfleet.runtime;

import io.pgfleet.runtime.config.KafkaSettings;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Admin clients of the configured cluster, with the settings' client properties (SASL, TLS...). */
public final class KafkaAdmins {
  private KafkaAdmins() {}

  /** A new admin client; the caller closes it. */
  public static Admin create(KafkaSettings kafka, String clientId) {
    Properties props = new Properties();
    props.putAll(kafka.properties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return Admin.create(props);
  }
}
