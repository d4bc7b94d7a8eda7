package org.postern.config.refresh;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.postern.config.PosternProperties;

/**
 * Which {@code postern.*} properties a runtime refresh applies, and how a refreshed tree is split
 * into what takes effect now and what waits for a restart. Everything not listed in
 * {@link #PATHS} is restart-only: listeners, spool, client ports, limits, TLS, AUTH and the rest
 * are read once at startup, because changing them under live sessions and deliveries would mix
 * two configurations in one SMTP session (sendmail likewise marks DaemonPortOptions and
 * ClientPortOptions "not safe"). A change to them is never half-applied: none of it takes effect
 * until a restart, and the refresh reports it.
 */
public final class RefreshableProperties {

    /**
     * Property paths below {@code postern.}, as written in YAML, that a refresh applies. A path
     * covers everything under it. Keep this list, {@link RuntimeConfigurationFactory} and the table
     * in docs/configuration.md in agreement.
     */
    public static final Set<String> PATHS = Set.of(
            "routing.smart-host",
            "routing.domains",
            "mailers",
            "rewriting",
            "headers",
            "header-checks",
            "macros",
            "policy.relay-networks");

    /**
     * A refreshed configuration split in two.
     *
     * @param effective          the refreshable values of the new tree with the restart-only values of the running one
     * @param restartOnlyChanges the restart-only properties ({@code postern.limits.max-recipients}) whose new
     *                           value differs from the one in effect: they apply at the next restart
     */
    public record Split(PosternProperties effective, List<String> restartOnlyChanges) {
        public Split {
            restartOnlyChanges = List.copyOf(restartOnlyChanges);
        }
    }

    private RefreshableProperties() {
    }

    /**
     * @param running the configuration whose restart-only values are in effect (the one bound at startup)
     * @param next    the newly bound configuration
     */
    public static Split split(PosternProperties running, PosternProperties next) {
        List<String> pending = new ArrayList<>();
        PosternProperties effective = (PosternProperties) merge(running, next, "", pending);
        return new Split(effective, pending);
    }

    /** Whether {@code path} (below {@code postern.}) is applied by a refresh. */
    public static boolean isRefreshable(String path) {
        for (String p : PATHS) {
            if (path.equals(p) || path.startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The value at {@code path} (below {@code postern.}, kebab case, through nested records); null when absent. */
    static Object valueAt(Object root, String path) {
        Object value = root;
        for (String name : path.split("\\.")) {
            if (!(value instanceof Record)) {
                return null;
            }
            Object parent = value;
            value = null;
            for (RecordComponent c : parent.getClass().getRecordComponents()) {
                if (kebab(c.getName()).equals(name)) {
                    value = read(c, parent);
                    break;
                }
            }
        }
        return value;
    }

    private static boolean hasRefreshableBelow(String path) {
        if (path.isEmpty()) {
            return true;
        }
        for (String p : PATHS) {
            if (p.startsWith(path + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Takes refreshable values from {@code next} and the rest from {@code running}, rebuilding records on the way. */
    private static Object merge(Object running, Object next, String path, List<String> pending) {
        if (Objects.equals(running, next)) {
            return running;
        }
        if (!path.isEmpty() && isRefreshable(path)) {
            return next;
        }
        if (running instanceof Record && next != null && running.getClass() == next.getClass()
                && hasRefreshableBelow(path)) {
            RecordComponent[] components = running.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = merge(read(components[i], running), read(components[i], next),
                        path.isEmpty() ? kebab(components[i].getName()) : path + "." + kebab(components[i].getName()),
                        pending);
            }
            return construct(running.getClass(), types, values, path);
        }
        restartOnlyDifferences(running, next, path, pending);
        return running;
    }

    /** Lists the differing properties of a restart-only subtree, down to the record components that differ. */
    private static void restartOnlyDifferences(Object running, Object next, String path, List<String> pending) {
        if (Objects.equals(running, next)) {
            return;
        }
        if (running instanceof Record && next != null && running.getClass() == next.getClass()) {
            for (RecordComponent c : running.getClass().getRecordComponents()) {
                restartOnlyDifferences(read(c, running), read(c, next),
                        path.isEmpty() ? kebab(c.getName()) : path + "." + kebab(c.getName()), pending);
            }
            return;
        }
        pending.add("postern." + path);
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    private static Object construct(Class<?> type, Class<?>[] types, Object[] values, String path) {
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            // The record's own checks refused the combination of new and running values.
            Throwable cause = e.getCause();
            throw new IllegalArgumentException(cause.getMessage() != null ? cause.getMessage()
                    : "postern." + path + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + type.getName(), e);
        }
    }

    /** {@code smartHost} to {@code smart-host}, as Spring's canonical property names. */
    static String kebab(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
