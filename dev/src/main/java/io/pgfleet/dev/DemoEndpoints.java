package io.pgfleet.dev;

import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import java.io.PrintStream;

/** What {@code pgfleet demo --keep} prints: where the local stack's servers listen. */
final class DemoEndpoints {
  private DemoEndpoints() {}

  static void print(PrintStream out, LocalStack stack, String statusPage) {
    out.println();
    out.println("The local stack stays up until Ctrl-C:");
    out.println("  Kafka       " + stack.kafka().bootstrapServers());
    out.println(
        "  S3          " + stack.s3().endpoint() + "  bucket " + Demo.BUCKET + "  (path-style)");
    out.println(
        "  S3 keys     AWS_ACCESS_KEY_ID="
            + stack.s3().accessKey()
            + " AWS_SECRET_ACCESS_KEY="
            + stack.s3().secretKey()
            + "  (generated for this local stack only)");
    out.println("  status page " + statusPage);
    out.println(
        "  PostgreSQL  "
            + stack.postgres().host()
            + ":"
            + stack.postgres().port()
            + "  databases "
            + SampleFleet.DATABASES);
    out.println(
        "  PG login    user "
            + stack.postgres().superuser()
            + " password "
            + stack.postgres().superuserPassword()
            + "  (generated for this local stack only)");
    out.println(
        "              psql -h "
            + stack.postgres().host()
            + " -p "
            + stack.postgres().port()
            + " -U "
            + stack.postgres().superuser()
            + " order_db");
    out.println("Try, from another terminal:");
    out.println(
        "  ./pgfleet submit backup --target order_db --wait -b "
            + stack.kafka().bootstrapServers());
  }
}
