package dev.basalt;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Layers point one way: protocol and util at the bottom, then storage, types, rdb and scripting, commands, execution, server. */
@Timeout(120)
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.basalt");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.basalt.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void layersPointDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("dev.basalt.cli..")
                .layer("server").definedBy("dev.basalt.server..")
                .layer("execution").definedBy("dev.basalt.execution..")
                .layer("command").definedBy("dev.basalt.command..")
                .layer("scripting").definedBy("dev.basalt.scripting..")
                .layer("rdb").definedBy("dev.basalt.rdb..")
                .layer("types").definedBy("dev.basalt.types..")
                .layer("storage").definedBy("dev.basalt.storage..")
                .layer("config").definedBy("dev.basalt.config..")
                .layer("protocol").definedBy("dev.basalt.protocol..")
                .layer("util").definedBy("dev.basalt.util..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("server").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("execution").mayOnlyBeAccessedByLayers("server")
                .whereLayer("command").mayOnlyBeAccessedByLayers("execution", "server")
                .whereLayer("scripting").mayOnlyBeAccessedByLayers("command", "execution", "server", "cli")
                .whereLayer("rdb").mayOnlyBeAccessedByLayers("command")
                .whereLayer("types").mayOnlyBeAccessedByLayers("rdb", "command", "execution", "server")
                .whereLayer("storage").mayOnlyBeAccessedByLayers("types", "rdb", "scripting", "command", "execution",
                        "server", "cli")
                .whereLayer("config").mayOnlyBeAccessedByLayers("storage", "command", "execution", "server", "cli")
                .whereLayer("protocol").mayOnlyBeAccessedByLayers("types", "rdb", "scripting", "command", "execution",
                        "server")
                .check(classes);
    }
}
