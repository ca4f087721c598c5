package io.agentwatch.simulator.cli;

import io.agentwatch.simulator.incident.IncidentSpec;
import java.util.List;
import picocli.CommandLine;

/** The value of {@code --incidents}: a whole list, because {@code all} stands for many entries. */
public record IncidentList(List<IncidentSpec> specs) {

    /** picocli converter for {@code all}, {@code none} or {@code kind[@offset[+length]],...}. */
    public static final class Converter implements CommandLine.ITypeConverter<IncidentList> {
        @Override
        public IncidentList convert(String value) {
            try {
                return new IncidentList(IncidentSpec.parseList(value));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
