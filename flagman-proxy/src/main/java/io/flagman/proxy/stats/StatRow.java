package io.flagman.proxy.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of {@code show stat}: a frontend, backend, server or listener with a value per {@link StatField} and per
 * {@link ModuleField}. A value is a {@code Long}, a {@code String} or absent: an <em>empty cell</em>, which is not
 * the same as 0 (HAProxy prints nothing between the commas, and {@code typed}/{@code json} skip the field).
 * Immutable; built with {@link #builder}.
 */
public final class StatRow {
    private final StatObject object;
    private final String proxy;
    private final String name;
    private final int iid;
    private final int sid;
    private final Object[] values;
    private final Object[] module;

    private StatRow(Builder b) {
        this.object = b.object;
        this.proxy = b.proxy;
        this.name = b.name;
        this.iid = b.iid;
        this.sid = b.sid;
        this.values = b.values.clone();
        this.module = b.module.clone();
    }

    /**
     * A row of {@code object} with its keys already set: {@code pxname}, {@code svname}, {@code iid}, {@code sid},
     * {@code pid} (1) and {@code type}.
     */
    public static Builder builder(StatObject object, String proxy, String name, int iid, int sid) {
        return new Builder(object, proxy, name, iid, sid);
    }

    public StatObject object() {
        return object;
    }

    /** {@code pxname}: the frontend, backend or listen section. */
    public String proxy() {
        return proxy;
    }

    /** {@code svname}: {@code FRONTEND}, {@code BACKEND}, a server's or a listener's name. */
    public String name() {
        return name;
    }

    /** The proxy's id ({@code iid}, {@code be_id}). */
    public int iid() {
        return iid;
    }

    /** The server's or listener's id ({@code sid}); 0 on frontend and backend rows. */
    public int sid() {
        return sid;
    }

    /** The cell's value (a {@code Long} or a {@code String}), or null for an empty cell. */
    public Object value(StatField field) {
        return values[field.ordinal()];
    }

    public Object value(ModuleField field) {
        return module[field.ordinal()];
    }

    public boolean isEmpty(StatField field) {
        return values[field.ordinal()] == null;
    }

    /** A numeric cell's value; 0 for an empty cell (check {@link #isEmpty} where the difference matters). */
    public long number(StatField field) {
        return values[field.ordinal()] instanceof Long l ? l : 0;
    }

    public long number(ModuleField field) {
        return module[field.ordinal()] instanceof Long l ? l : 0;
    }

    /** A cell as the CSV prints it: the number in decimal, the text, or "" for an empty cell. */
    public String text(StatField field) {
        Object v = values[field.ordinal()];
        return v == null ? "" : v.toString();
    }

    /** This row with {@code fields} empty (what a lower CLI level may not see). */
    public StatRow without(java.util.Set<StatField> fields) {
        Builder b = new Builder(object, proxy, name, iid, sid);
        System.arraycopy(values, 0, b.values, 0, values.length);
        System.arraycopy(module, 0, b.module, 0, module.length);
        for (StatField f : fields) {
            b.values[f.ordinal()] = null;
        }
        return b.build();
    }

    /** This row with the text cell {@code field} set to {@code value}. */
    public StatRow with(StatField field, String value) {
        Builder b = new Builder(object, proxy, name, iid, sid);
        System.arraycopy(values, 0, b.values, 0, values.length);
        System.arraycopy(module, 0, b.module, 0, module.length);
        b.values[field.ordinal()] = value;
        return b.build();
    }

    @Override
    public String toString() {
        return object + " " + proxy + "/" + name + " " + Arrays.toString(values);
    }

    /** Collects a row's cells; a cell not set stays empty. */
    public static final class Builder {
        private final StatObject object;
        private final String proxy;
        private final String name;
        private final int iid;
        private final int sid;
        private final Object[] values = new Object[StatField.ALL.size()];
        private final Object[] module = new Object[ModuleField.ALL.size()];

        private Builder(StatObject object, String proxy, String name, int iid, int sid) {
            this.object = Objects.requireNonNull(object, "object");
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            this.name = Objects.requireNonNull(name, "name");
            this.iid = iid;
            this.sid = sid;
            set(StatField.PXNAME, proxy);
            set(StatField.SVNAME, name);
            set(StatField.PID, 1);
            set(StatField.IID, iid);
            set(StatField.SID, sid);
            set(StatField.TYPE, object.type());
        }

        /** Sets a numeric cell; a column that does not apply to this kind of object is refused (a bug). */
        public Builder set(StatField field, long value) {
            values[checked(field)] = value;
            return this;
        }

        /** Sets a text cell, or empties it when {@code value} is null. */
        public Builder set(StatField field, String value) {
            values[checked(field)] = value;
            return this;
        }

        public Builder set(ModuleField field, long value) {
            if (!field.appliesTo(object)) {
                throw new IllegalArgumentException(field.fieldName() + " does not apply to " + object);
            }
            module[field.ordinal()] = value;
            return this;
        }

        /** Sets every module column that applies to this kind of object to 0 (they are counted as HAProxy does). */
        public Builder zeroModules() {
            for (ModuleField f : ModuleField.ALL) {
                if (f.appliesTo(object)) {
                    module[f.ordinal()] = 0L;
                }
            }
            return this;
        }

        private int checked(StatField field) {
            if (!field.appliesTo(object)) {
                throw new IllegalArgumentException(field.fieldName() + " does not apply to " + object);
            }
            return field.ordinal();
        }

        public StatRow build() {
            return new StatRow(this);
        }
    }
}
