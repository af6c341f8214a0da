package workshop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import workshop.Workshop;
import workshop.manifest.Catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/** {@code catalog}: rewrites jbang-catalog.json from workshop.yaml (for workshop authors). */
@Command(name = "catalog", hidden = true, description = "Rewrite jbang-catalog.json from workshop.yaml.")
public final class CatalogCommand implements Callable<Integer> {

    @ParentCommand
    Workshop workshop;

    @Override
    public Integer call() throws IOException {
        WorkshopContext context = workshop.context();
        Files.writeString(context.root().resolve(Catalog.FILE_NAME), Catalog.generate(context.manifest()));
        context.terminal().println("Wrote " + Catalog.FILE_NAME);
        return 0;
    }
}
