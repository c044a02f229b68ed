package io.pgfleet.dispatcher;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/** The keys of a fleet file's target that are the dispatcher's: its recovery point objective. */
@JsonIgnoreProperties(ignoreUnknown = true)
record TargetPolicyKeys(Duration rpo, Duration warnAfter, Duration verifiedRpo) {
  DispatcherSections.Policy policy() {
    return new DispatcherSections.Policy(rpo, warnAfter, verifiedRpo);
  }
}
