package io.pgfleet.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Which answers mean "this store does not do conditional writes" (pure classification). */
class ConditionalPutsTest {
  @Test
  void a_store_that_does_not_implement_the_condition_is_told_from_one_that_refuses_the_write() {
    assertThat(ConditionalPuts.refusesTheCondition(answer(501, "NotImplemented"))).isTrue();
    assertThat(ConditionalPuts.refusesTheCondition(answer(400, "NotImplemented"))).isTrue();
    assertThat(ConditionalPuts.refusesTheCondition(answer(412, "PreconditionFailed"))).isFalse();
    assertThat(ConditionalPuts.refusesTheCondition(answer(403, "AccessDenied"))).isFalse();
    assertThat(ConditionalPuts.refusesTheCondition(answer(500, "InternalError"))).isFalse();
  }

  private static S3Exception answer(int status, String code) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
            .build();
  }
}
