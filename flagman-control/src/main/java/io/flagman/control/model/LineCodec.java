package io.flagman.control.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.config.text.ConfigLine;
import java.util.List;
import java.util.Set;

/** How one kind of child directive (an ACL, a rule, a server…) maps between its line and its JSON model. */
public interface LineCodec {

    /** The first words of the lines of this kind. */
    Set<String> family();

    ObjectNode toJson(ConfigLine line);

    /** The raw words of the line for a request body; schema violations throw a 422 {@code ApiException}. */
    List<String> toWords(JsonNode body);

    /** A child addressed by name (bind, server, user). */
    interface Named extends LineCodec {
        String nameOf(ConfigLine line);

        String nameFrom(JsonNode body);

        /** How errors name it: {@code server}, {@code bind}, {@code user}. */
        String what();
    }
}
