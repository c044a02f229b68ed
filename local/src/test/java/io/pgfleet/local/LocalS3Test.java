package io.pgfleet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

class LocalS3Test {

  private static final int MIB = 1024 * 1024;
  private static final String BUCKET = "local-s3-test";

  private static LocalS3 s3;
  private static S3Client client;

  @BeforeAll
  static void bucket() {
    s3 = LocalStack.shared().s3();
    s3.createBucket(BUCKET);
    client = S3Clients.of(s3);
  }

  @Test
  void anObjectPutIsReadBack() {
    String key = "objects/" + UUID.randomUUID();

    client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("hello pgfleet"));

    assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String())
        .isEqualTo("hello pgfleet");
  }

  @Test
  void aMultipartUploadIsAssembledFromItsPartsInOrder() {
    String key = "multipart/" + UUID.randomUUID();
    byte[] content = randomBytes(2 * 5 * MIB + 1234);
    String uploadId = client.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();

    List<CompletedPart> parts = new ArrayList<>();
    int partSize = 5 * MIB;
    for (int offset = 0, number = 1; offset < content.length; offset += partSize, number++) {
      int length = Math.min(partSize, content.length - offset);
      int partNumber = number;
      String etag =
          client
              .uploadPart(
                  b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(partNumber),
                  RequestBody.fromRemainingByteBuffer(ByteBuffer.wrap(content, offset, length)))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
    }
    client.completeMultipartUpload(
        b ->
            b.bucket(BUCKET)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));

    assertThat(parts).hasSize(3);
    assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray())
        .isEqualTo(content);
  }

  @Test
  void anAbortedMultipartUploadLeavesNeitherObjectNorUpload() {
    String key = "aborted/" + UUID.randomUUID();
    String uploadId = client.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
    client.uploadPart(
        b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(randomBytes(5 * MIB)));

    client.abortMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId));

    assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET).prefix(key)).uploads()).isEmpty();
    assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void listingAPrefixShowsTheObjectsBelowIt() {
    String prefix = "list/" + UUID.randomUUID() + "/";
    for (String name : List.of("a.dump", "a.manifest.json", "b.dump")) {
      client.putObject(b -> b.bucket(BUCKET).key(prefix + name), RequestBody.fromString(name));
    }

    List<String> keys =
        client.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
            .map(S3Object::key)
            .toList();

    assertThat(keys)
        .containsExactly(prefix + "a.dump", prefix + "a.manifest.json", prefix + "b.dump");
  }

  @Test
  void creatingAnExistingBucketIsNotAnError() {
    assertThatCode(() -> s3.createBucket(BUCKET)).doesNotThrowAnyException();
  }

  @Test
  void aRequestSignedWithTheWrongSecretIsRefused() {
    try (S3Client intruder = S3Clients.of(s3, "not-the-secret")) {
      assertThatThrownBy(() -> intruder.listObjectsV2(b -> b.bucket(BUCKET)))
          .isInstanceOf(S3Exception.class)
          .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
    }
  }

  @Test
  void objectsSurviveStopAndStartOnTheSameEndpoint(@TempDir Path dir) {
    try (LocalS3 own = LocalS3.start(dir.resolve("s3"));
        S3Client ownClient = S3Clients.of(own)) {
      own.createBucket("outage");
      ownClient.putObject(
          b -> b.bucket("outage").key("kept"), RequestBody.fromString("still here"));

      own.stop();
      assertThatThrownBy(() -> new Socket(own.endpoint().getHost(), own.endpoint().getPort()))
          .isInstanceOf(ConnectException.class);
      own.start();

      assertThat(
              ownClient
                  .getObjectAsBytes(b -> b.bucket("outage").key("kept"))
                  .asString(StandardCharsets.UTF_8))
          .isEqualTo("still here");
    }
    assertThat(dir.resolve("s3")).doesNotExist();
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
