package io.flagman.control.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Words;
import java.util.Set;

/** How one kind of child directive (an ACL, a rule, a server…) maps between its line and its JSON model. */
public interface LineCodec {

    /** The first words of the lines of this kind. */
    Set<String> family();

    ObjectNode toJson(ConfigLine line);

    /** The words of the line for a request body; schema violations throw a 422 {@code ApiException}. */
    Words toWords(JsonNode body);

    /** A child addressed by name (bind, server, user), as {@code ConfigEditor.childName} names its line. */
    interface Named extends LineCodec {
        String nameFrom(JsonNode body);

        /** How errors name it: {@code server}, {@code bind}, {@code user}. */
        String what();
    }
}
