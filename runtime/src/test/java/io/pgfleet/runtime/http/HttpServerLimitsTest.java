package io.pgfleet.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class HttpServerLimitsTest {
  @Test
  void limits_the_operator_left_unset_get_pgfleets_defaults() {
    Properties jvm = new Properties();

    HttpServerLimits.apply(jvm);

    assertThat(jvm.getProperty(HttpServerLimits.REQUEST_TIME_PROPERTY)).isEqualTo("10");
    assertThat(jvm.getProperty(HttpServerLimits.RESPONSE_TIME_PROPERTY)).isEqualTo("120");
    assertThat(HttpServerLimits.limit(jvm, HttpServerLimits.REQUEST_TIME_PROPERTY))
        .contains(HttpServerLimits.DEFAULT_REQUEST_TIME);
  }

  @Test
  void a_limit_the_operator_set_is_kept_and_zero_keeps_the_jdks_no_limit() {
    Properties jvm = new Properties();
    jvm.setProperty(HttpServerLimits.REQUEST_TIME_PROPERTY, "30");
    jvm.setProperty(HttpServerLimits.RESPONSE_TIME_PROPERTY, "0");

    HttpServerLimits.apply(jvm);

    assertThat(jvm.getProperty(HttpServerLimits.REQUEST_TIME_PROPERTY)).isEqualTo("30");
    assertThat(HttpServerLimits.limit(jvm, HttpServerLimits.REQUEST_TIME_PROPERTY))
        .contains(Duration.ofSeconds(30));
    assertThat(HttpServerLimits.limit(jvm, HttpServerLimits.RESPONSE_TIME_PROPERTY)).isEmpty();
  }

  @Test
  void a_limit_that_is_not_a_whole_number_of_seconds_is_refused_with_its_name() {
    Properties jvm = new Properties();
    jvm.setProperty(HttpServerLimits.RESPONSE_TIME_PROPERTY, "60s\u001b[2J");

    assertThatThrownBy(() -> HttpServerLimits.apply(jvm))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sun.net.httpserver.maxRspTime is '60s\\u001b[2J'")
        .hasMessageContaining("whole number of seconds");
  }
}
