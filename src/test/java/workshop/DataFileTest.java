package workshop;

import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed sample data is what the generator makes, and the generator is deterministic. */
class DataFileTest {

    @Test
    void ratingsFileIsTheGeneratorsOutputForSeed42() throws IOException {
        List<String> expected = Ratings.generate(42, 20).stream().map(Rating::toJson).toList();
        assertEquals(expected, Files.readAllLines(Grading.ROOT.resolve("data/ratings.jsonl")));
    }

    @Test
    void sameSeedSameRatings() {
        assertEquals(Ratings.generate(7, 50), Ratings.generate(7, 50));
        assertNotEquals(Ratings.generate(7, 50), Ratings.generate(8, 50));
    }

    @Test
    void ratingsLookLikeTheTalks() {
        List<Rating> ratings = Ratings.generate(1, 500);
        assertTrue(ratings.stream().allMatch(r -> r.stars() >= 1 && r.stars() <= 5));
        assertTrue(ratings.stream().anyMatch(r -> r.userId() > 20), "some ratings come from users with no customer row");
        assertTrue(ratings.stream().map(Rating::channel).distinct().count() == Ratings.CHANNELS.size());
        for (int i = 1; i < ratings.size(); i++) {
            assertTrue(ratings.get(i).ratingTime() > ratings.get(i - 1).ratingTime(), "rating times move forward");
            assertEquals(ratings.get(i - 1).ratingId() + 1, ratings.get(i).ratingId());
        }
        assertEquals(ratings.get(3), Rating.fromJson(ratings.get(3).toJson()));
    }
}
