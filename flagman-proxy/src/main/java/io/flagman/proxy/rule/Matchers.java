package io.flagman.proxy.rule;

import io.flagman.config.model.Cidr;
import io.flagman.config.model.Match;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Compiles the patterns of one ACL for one match method into a {@link ValueMatcher}, once. */
final class Matchers {

    private Matchers() {}

    static ValueMatcher compile(Match match, boolean ignoreCase, List<String> patterns) {
        return switch (match) {
            case FOUND -> new Found();
            case BOOL -> new Bool();
            case STR -> patterns.size() == 1 ? new SingleString(patterns.getFirst(), ignoreCase)
                    : new StringSet(patterns, ignoreCase);
            case BEG -> new Affix(patterns, ignoreCase, Affix.BEG);
            case END -> new Affix(patterns, ignoreCase, Affix.END);
            case SUB -> new Affix(patterns, ignoreCase, Affix.SUB);
            case DOM -> new Word(patterns, ignoreCase, "/?.:");
            case DIR -> new Word(patterns, ignoreCase, "/?");
            case REG -> new Regex(patterns, ignoreCase);
            case LEN -> new Length(IntRange.parseAll(patterns));
            case INT -> new IntMatch(IntRange.parseAll(patterns));
            case IP -> new IpMatch(patterns);
        };
    }

    /** Applies string converters ({@code lower}, {@code upper}) before the matcher sees the value. */
    static ValueMatcher converted(ValueMatcher inner, UnaryOperator<String> converter) {
        return new ValueMatcher() {
            @Override
            public boolean string(String value) {
                return inner.string(converter.apply(value));
            }

            @Override
            public boolean integer(long value) {
                return inner.string(converter.apply(Long.toString(value)));
            }

            @Override
            public boolean address(InetAddress value) {
                return inner.string(converter.apply(Samples.addressText(value)));
            }
        };
    }

    /** Base for matchers on text: integers and addresses are cast to their text. */
    private abstract static class TextMatcher implements ValueMatcher {
        @Override
        public boolean integer(long value) {
            return string(Long.toString(value));
        }

        @Override
        public boolean address(InetAddress value) {
            return string(Samples.addressText(value));
        }
    }

    private static final class Found implements ValueMatcher {
        @Override
        public boolean string(String value) {
            return true;
        }

        @Override
        public boolean integer(long value) {
            return true;
        }

        @Override
        public boolean address(InetAddress value) {
            return true;
        }
    }

    private static final class Bool implements ValueMatcher {
        @Override
        public boolean string(String value) {
            Long v = Samples.toInteger(value);
            return v != null && v != 0;
        }

        @Override
        public boolean integer(long value) {
            return value != 0;
        }

        @Override
        public boolean address(InetAddress value) {
            return true;
        }
    }

    private static final class SingleString extends TextMatcher {
        private final String pattern;
        private final boolean ignoreCase;

        SingleString(String pattern, boolean ignoreCase) {
            this.pattern = pattern;
            this.ignoreCase = ignoreCase;
        }

        @Override
        public boolean string(String value) {
            return ignoreCase ? pattern.equalsIgnoreCase(value) : pattern.equals(value);
        }
    }

    private static final class StringSet extends TextMatcher {
        private final Set<String> patterns;
        private final boolean ignoreCase;

        StringSet(List<String> patterns, boolean ignoreCase) {
            Set<String> set = new HashSet<>();
            for (String p : patterns) {
                set.add(ignoreCase ? Samples.lower(p) : p);
            }
            this.patterns = Set.copyOf(set);
            this.ignoreCase = ignoreCase;
        }

        @Override
        public boolean string(String value) {
            return patterns.contains(ignoreCase ? Samples.lower(value) : value);
        }
    }

    private static final class Affix extends TextMatcher {
        static final int BEG = 0;
        static final int END = 1;
        static final int SUB = 2;

        private final String[] patterns;
        private final boolean ignoreCase;
        private final int kind;

        Affix(List<String> patterns, boolean ignoreCase, int kind) {
            this.patterns = patterns.toArray(String[]::new);
            this.ignoreCase = ignoreCase;
            this.kind = kind;
        }

        @Override
        public boolean string(String value) {
            for (String p : patterns) {
                if (p.length() > value.length()) {
                    continue;
                }
                boolean hit = switch (kind) {
                    case BEG -> value.regionMatches(ignoreCase, 0, p, 0, p.length());
                    case END -> value.regionMatches(ignoreCase, value.length() - p.length(), p, 0, p.length());
                    default -> contains(value, p);
                };
                if (hit) {
                    return true;
                }
            }
            return false;
        }

        private boolean contains(String value, String p) {
            if (!ignoreCase) {
                return value.contains(p);
            }
            for (int i = 0, last = value.length() - p.length(); i <= last; i++) {
                if (value.regionMatches(true, i, p, 0, p.length())) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * HAProxy's {@code dom} and {@code dir} ({@code match_word}): the pattern, without its leading and trailing
     * delimiters, appears in the value bounded on both sides by a delimiter or an end of the value.
     */
    private static final class Word extends TextMatcher {
        private final String[] patterns;
        private final boolean ignoreCase;
        private final String delimiters;

        Word(List<String> patterns, boolean ignoreCase, String delimiters) {
            this.delimiters = delimiters;
            List<String> stripped = new ArrayList<>();
            for (String p : patterns) {
                int from = 0;
                int to = p.length();
                while (from < to && isDelimiter(p.charAt(from))) {
                    from++;
                }
                while (to > from && isDelimiter(p.charAt(to - 1))) {
                    to--;
                }
                stripped.add(p.substring(from, to));
            }
            this.patterns = stripped.toArray(String[]::new);
            this.ignoreCase = ignoreCase;
        }

        private boolean isDelimiter(char c) {
            return delimiters.indexOf(c) >= 0;
        }

        @Override
        public boolean string(String value) {
            for (String p : patterns) {
                if (p.isEmpty()) {
                    continue;
                }
                for (int i = 0, last = value.length() - p.length(); i <= last; i++) {
                    if ((i == 0 || isDelimiter(value.charAt(i - 1)))
                            && value.regionMatches(ignoreCase, i, p, 0, p.length())
                            && (i + p.length() == value.length() || isDelimiter(value.charAt(i + p.length())))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static final class Regex extends TextMatcher {
        private final Pattern[] patterns;

        Regex(List<String> patterns, boolean ignoreCase) {
            this.patterns = new Pattern[patterns.size()];
            for (int i = 0; i < patterns.size(); i++) {
                try {
                    this.patterns[i] = Pattern.compile(patterns.get(i), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("invalid regex '" + patterns.get(i) + "': " + e.getDescription(), e);
                }
            }
        }

        @Override
        public boolean string(String value) {
            for (Pattern p : patterns) {
                if (p.matcher(value).find()) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Length extends TextMatcher {
        private final IntRange[] ranges;

        Length(IntRange[] ranges) {
            this.ranges = ranges;
        }

        @Override
        public boolean string(String value) {
            return IntRange.any(ranges, value.length());
        }
    }

    private static final class IntMatch implements ValueMatcher {
        private final IntRange[] ranges;

        IntMatch(IntRange[] ranges) {
            this.ranges = ranges;
        }

        @Override
        public boolean string(String value) {
            Long v = Samples.toInteger(value);
            return v != null && IntRange.any(ranges, v);
        }

        @Override
        public boolean integer(long value) {
            return IntRange.any(ranges, value);
        }

        @Override
        public boolean address(InetAddress value) {
            return false;
        }
    }

    private static final class IpMatch implements ValueMatcher {
        private final Cidr[] networks;

        IpMatch(List<String> patterns) {
            this.networks = new Cidr[patterns.size()];
            for (int i = 0; i < patterns.size(); i++) {
                networks[i] = Networks.parse(patterns.get(i));
            }
        }

        @Override
        public boolean string(String value) {
            InetAddress address = Networks.literal(value.strip());
            return address != null && address(address);
        }

        @Override
        public boolean integer(long value) {
            return false;
        }

        @Override
        public boolean address(InetAddress value) {
            byte[] bytes = value.getAddress();
            for (Cidr network : networks) {
                if (network.contains(bytes)) {
                    return true;
                }
            }
            return false;
        }
    }
}
