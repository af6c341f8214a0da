package workshop.cli;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.platform.launcher.core.LauncherFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import workshop.Workshop;
import workshop.grading.ExerciseCompiler;
import workshop.grading.ExerciseSource;
import workshop.manifest.Exercise;

import java.util.Map;
import java.util.concurrent.Callable;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * {@code warm} (hidden): loads what a grading loads (the compiler, the JUnit Platform, Kafka's
 * client configurations, the graders) without a stack, so that the launcher can keep those
 * classes in its class-data-sharing archive and every later command starts faster.
 */
@Command(name = "warm", hidden = true, description = "Load the runner's classes once, for the class-data-sharing archive.")
public final class WarmCommand implements Callable<Integer> {

    @ParentCommand
    Workshop workshop;

    @Override
    public Integer call() {
        WorkshopContext context = workshop.context();
        new AdminClientConfig(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092"));
        new ProducerConfig(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class));
        new ConsumerConfig(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringDeserializer.class));
        var launcher = LauncherFactory.create();
        for (Exercise exercise : context.manifest().availableExercises()) {
            launcher.discover(request().selectors(selectClass(exercise.grader())).build());
        }
        context.manifest().availableExercises().stream().findFirst()
                .ifPresent(first -> ExerciseCompiler.compile(ExerciseSource.read(first.solutionFile(context.root()))));
        return 0;
    }
}
