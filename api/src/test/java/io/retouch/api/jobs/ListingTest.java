package io.retouch.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /api/message/edit_image pages by keyset: follow next_cursor until there is none. */
class ListingTest extends ApiIntegrationTest {

  @Test
  void following_next_cursor_lists_every_job_once_newest_first() {
    List<String> submitted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      submitted.add(submitAsync().json().get("id").asString());
    }

    List<JsonNode> listed = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Answer page =
          api.get(EDIT + "?limit=2" + cursor.map(c -> "&cursor=" + c).orElse(""), asOwner());
      assertThat(page.status()).isEqualTo(200);
      page.json().get("jobs").forEach(listed::add);
      pageSizes.add(page.json().get("jobs").size());
      cursor = nextCursor(page);
    } while (cursor.isPresent() && pageSizes.size() < 10);

    List<String> ids = listed.stream().map(job -> job.get("id").asString()).toList();
    List<String> unpaged =
        api.get(EDIT + "?limit=100", asOwner())
            .json()
            .get("jobs")
            .valueStream()
            .map(job -> job.get("id").asString())
            .toList();
    assertThat(pageSizes).containsExactly(2, 2, 1);
    assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(submitted);
    assertThat(ids).isEqualTo(unpaged);
    assertThat(listed)
        .extracting(job -> Instant.parse(job.get("created_at").asString()))
        .isSortedAccordingTo(Comparator.reverseOrder());
  }

  private static Optional<String> nextCursor(Answer page) {
    JsonNode next = page.json().get("next_cursor");
    return next == null || next.isNull() ? Optional.empty() : Optional.of(next.asString());
  }
}
