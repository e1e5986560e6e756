package dev.mandate.recurring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The tick's SQS sender against moto's SQS: every due run arrives once, as the worker reads it. */
class SqsRunQueueTest {

  @Test
  void everyDueRunArrivesAsOneMessageTheWorkerCanRead() {
    try (MotoServer moto = MotoServer.start();
        SqsClient sqs = AwsTestClients.configure(SqsClient.builder(), moto.endpoint())) {
      final String url = sqs.createQueue(r -> r.queueName("runs")).queueUrl();
      final List<DueRun> runs = IntStream.range(0, 37)
          .mapToObj(i -> new DueRun("app1", "action" + i, 1_700_000_000_000L + i, "_due.202611221200." + (i % 16), "e" + i))
          .toList();
      new SqsRunQueue(sqs, url).send(runs);

      final List<DueRun> received = new ArrayList<>();
      for (int i = 0; i < 20 && received.size() < runs.size(); i++) {
        for (final Message m : sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()) {
          received.add(DueRun.fromJson(m.body()));
          sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
      }
      assertThat(received).containsExactlyInAnyOrderElementsOf(runs);
    }
  }
}
