package io.pgfleet.dev;

import io.pgfleet.worker.config.PurgePolicy;
import java.time.Duration;
import java.util.List;

/** The runbooks' retention policies, as the demo applies them to its sample databases. */
final class DemoPurges {
  static final String SIGNER = "demo-operator";

  private static final PurgePolicy OUTBOX_PUBLISHED =
      PurgePolicy.builder("outbox-published")
          .table("outbox_events")
          .timeColumn("processed_at")
          .olderThan(Duration.ofDays(7))
          .status("status", List.of("published"))
          .build();
  private static final PurgePolicy OUTBOX_FAILED =
      PurgePolicy.builder("outbox-failed")
          .table("outbox_events")
          .timeColumn("created_at")
          .olderThan(Duration.ofDays(30))
          .status("status", List.of("failed"))
          .archive(PurgePolicy.Archive.table("outbox_events_archive"))
          .build();
  private static final PurgePolicy IDEMPOTENCY =
      PurgePolicy.builder("idempotency")
          .table("event_idempotency")
          .timeColumn("created_at")
          .olderThan(Duration.ofDays(14))
          .build();
  private static final PurgePolicy AUDIT_ARCHIVE =
      PurgePolicy.builder("audit-archive")
          .table("audit_events")
          .timeColumn("timestamp")
          .olderThan(Duration.ofDays(90))
          .archive(PurgePolicy.Archive.S3)
          .build();

  private DemoPurges() {}

  static List<PurgePolicy> policiesFor(String database) {
    return switch (database) {
      case "order_db" -> List.of(OUTBOX_PUBLISHED, OUTBOX_FAILED, IDEMPOTENCY);
      case "payment_db" -> List.of(IDEMPOTENCY);
      case "warehouse_db" -> List.of(AUDIT_ARCHIVE);
      default -> List.of();
    };
  }
}
