package io.pgfleet.dispatcher.fleet;

import io.pgfleet.commands.TargetName;
import io.pgfleet.commands.wire.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The targets of the fleet: those named in the dispatcher's config, plus (when discovery is on)
 * every target with a command topic on Kafka, re-read at most every {@code fleet.refresh}.
 */
public final class TargetDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TargetDirectory.class);

  private final FleetSettings settings;
  private final Topics topics;
  private final Admin admin;
  private Set<String> discovered = Set.of();
  private long readAt;
  private boolean fresh;

  public TargetDirectory(
      FleetSettings settings, Topics topics, String bootstrapServers, Map<String, String> props) {
    this.settings = settings;
    this.topics = topics;
    if (settings.discover()) {
      Properties p = new Properties();
      p.putAll(props);
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      this.admin = Admin.create(p);
    } else {
      this.admin = null;
    }
  }

  /** Every known target, sorted. */
  public synchronized Set<String> names() {
    Set<String> all = new TreeSet<>(settings.targets().keySet());
    all.addAll(discovered());
    return all;
  }

  public boolean contains(String target) {
    return names().contains(target);
  }

  public TargetPolicy policy(String target) {
    return settings.policy(target);
  }

  /** Forgets the last discovery, so the next call reads Kafka again. */
  public synchronized void refresh() {
    fresh = false;
  }

  private Set<String> discovered() {
    if (admin == null || (fresh && System.nanoTime() - readAt < settings.refresh().toNanos())) {
      return discovered;
    }
    try {
      Set<String> found = new TreeSet<>();
      for (String topic : admin.listTopics().names().get(15, TimeUnit.SECONDS)) {
        topics.targetOf(topic).filter(TargetName::isValid).ifPresent(found::add);
      }
      discovered = found;
      readAt = System.nanoTime();
      fresh = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("cannot list command topics, keeping the last known targets: {}", e.getMessage());
    }
    return discovered;
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
