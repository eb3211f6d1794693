package io.flagman.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency direction of the planes: config ← proxy ← control ← cluster ← app. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.flagman");
    }

    @Test
    void configDependsOnNoNetworkLibraryAndNoOtherPlane() {
        noClasses().that().resideInAPackage("io.flagman.config..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.netty..", "com.fasterxml..", "io.flagman.proxy..", "io.flagman.control..",
                        "io.flagman.app..", "io.flagman.cluster..")
                .check(classes);
    }

    @Test
    void dataPlaneNeverReachesIntoTheControlPlane() {
        noClasses().that().resideInAPackage("io.flagman.proxy..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.flagman.control..", "io.flagman.app..", "io.flagman.cluster..", "com.fasterxml..")
                .check(classes);
    }

    @Test
    void controlPlaneReachesTheDataPlaneOnlyThroughPortsTheAppWires() {
        // ConfigApplier and RuntimeServers are the control plane's ports; the app adapts the DataPlane to them.
        noClasses().that().resideInAPackage("io.flagman.control..")
                .should().dependOnClassesThat().resideInAnyPackage("io.flagman.app..", "io.flagman.proxy..")
                .check(classes);
    }

    @Test
    void clusterReachesTheDataPlaneOnlyThroughPortsTheAppWires() {
        noClasses().that().resideInAPackage("io.flagman.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("io.flagman.app..", "io.flagman.proxy..")
                .check(classes);
    }

    @Test
    void topLevelAreasHaveNoCycles() {
        slices().matching("io.flagman.(*)..").should().beFreeOfCycles().check(classes);
    }
}
