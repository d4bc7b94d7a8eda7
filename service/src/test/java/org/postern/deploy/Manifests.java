package org.postern.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Kubernetes objects as plain maps, read from multi-document YAML (what {@code helm template} and
 * {@code kubectl kustomize} print), with the few lookups the tests need.
 */
public final class Manifests {

    private final List<Map<String, Object>> objects;

    private Manifests(List<Map<String, Object>> objects) {
        this.objects = List.copyOf(objects);
    }

    /** Every non-empty document of the stream; a document that is not a mapping fails. */
    @SuppressWarnings("unchecked")
    public static Manifests parse(String yaml) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map<?, ?> map)) {
                throw new AssertionError("a document is not a Kubernetes object: " + document);
            }
            all.add((Map<String, Object>) map);
        }
        return new Manifests(all);
    }

    public List<Map<String, Object>> all() {
        return objects;
    }

    /** The objects of one kind. */
    public List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    /** The one object of this kind and name; fails if there is none. */
    public Map<String, Object> get(String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(at(o, "metadata.name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " among " + names()));
    }

    /** "Kind/name" of every object, for messages. */
    public List<String> names() {
        return objects.stream().map(o -> o.get("kind") + "/" + at(o, "metadata.name")).toList();
    }

    /**
     * The value at a dotted path; a numeric segment indexes a list. Null when a step is missing.
     * Keys that contain dots cannot be reached this way: use {@link #map} and {@code get}.
     */
    public static Object at(Object node, String path) {
        Object current = node;
        for (String step : path.split("\\.")) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step.chars().allMatch(Character::isDigit)) {
                int i = Integer.parseInt(step);
                current = i < list.size() ? list.get(i) : null;
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object node, String path) {
        return (Map<String, Object>) Objects.requireNonNull(at(node, path), path);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object node, String path) {
        return (List<Object>) Objects.requireNonNull(at(node, path), path);
    }

    /** The first element of a list at {@code path} whose {@code name} is {@code name}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> named(Object node, String path, String name) {
        return list(node, path).stream()
                .map(e -> (Map<String, Object>) e)
                .filter(e -> name.equals(e.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + path));
    }
}
