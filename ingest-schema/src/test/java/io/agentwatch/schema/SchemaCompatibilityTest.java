package io.agentwatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Fails the build when a contract changes in a way that is not backward compatible with a released version:
 * today's consumers must read every record written with any released schema (BACKWARD_TRANSITIVE, the rule the
 * registry subjects use). Released versions live under src/test/resources/released/<Name>/v<N>.avsc; when a
 * schema change is released, copy the new schema there as the next version.
 */
class SchemaCompatibilityTest {

    @TestFactory
    Stream<DynamicTest> currentSchemasReadEveryReleasedVersion() throws IOException, URISyntaxException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Schema current : List.of(AgentEvent.getClassSchema(), Alert.getClassSchema(), AlertRule.getClassSchema(), ControlCommand.getClassSchema())) {
            List<Path> released = releasedVersions(current.getName());
            assertThat(released).as("released versions of %s", current.getName()).isNotEmpty();
            for (Path version : released) {
                tests.add(DynamicTest.dynamicTest(current.getName() + " reads " + version.getFileName(), () -> {
                    Schema writer = parseReleased(version);
                    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, writer);
                    assertThat(result.getType())
                            .as("%s is not backward compatible with released %s: %s", current.getName(), version, result.getDescription())
                            .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void theCheckCatchesANewRequiredFieldWithoutDefault() throws IOException, URISyntaxException {
        String breaking = Files.readString(releasedVersions("AgentEvent").get(0))
                .replaceFirst("\"fields\": \\[", "\"fields\": [{\"name\": \"region\", \"type\": \"string\"},");
        Schema changed = new Schema.Parser().parse(breaking);
        Schema released = parseReleased(releasedVersions("AgentEvent").get(0));

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(changed, released).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void everyOptionalFieldIsANullUnionWithANullDefaultAndEveryEnumHasADefaultSymbol() {
        for (Schema schema : List.of(AgentEvent.getClassSchema(), Alert.getClassSchema(), AlertRule.getClassSchema(), ControlCommand.getClassSchema())) {
            for (Schema.Field field : schema.getFields()) {
                Schema type = field.schema();
                if (type.getType() == Schema.Type.UNION) {
                    assertThat(type.getTypes().get(0).getType()).as("%s.%s: null first in the union", schema.getName(), field.name()).isEqualTo(Schema.Type.NULL);
                    assertThat(field.hasDefaultValue()).as("%s.%s has a default", schema.getName(), field.name()).isTrue();
                    type = type.getTypes().get(1);
                }
                if (type.getType() == Schema.Type.ENUM) {
                    assertThat(type.getEnumDefault()).as("%s.%s: enum default symbol", schema.getName(), field.name()).isNotNull();
                }
            }
        }
    }

    private static List<Path> releasedVersions(String name) throws IOException, URISyntaxException {
        URL dir = SchemaCompatibilityTest.class.getClassLoader().getResource("released/" + name);
        assertThat(dir).as("src/test/resources/released/%s", name).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc")).sorted().toList();
        }
    }

    /** Released AlertRule and Alert share the Severity and SuggestedAction enums: parse Alert's released v1 first. */
    private static Schema parseReleased(Path file) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        if (!file.getParent().getFileName().toString().equals("Alert")) {
            try (InputStream alert = SchemaCompatibilityTest.class.getClassLoader().getResourceAsStream("released/Alert/v1.avsc")) {
                parser.parse(alert);
            }
        }
        return parser.parse(Files.readString(file));
    }
}
