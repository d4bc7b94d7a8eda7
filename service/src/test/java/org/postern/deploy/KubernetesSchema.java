package org.postern.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Checks rendered objects against the Kubernetes API's types, as {@code kubeconform -strict} would:
 * each object is read into fabric8's model classes (generated from the Kubernetes and Prometheus
 * Operator OpenAPI schemas) with no type coercion, and any field the schema does not define, at
 * any depth, is an error. fabric8 keeps unknown fields in {@code additionalProperties} instead of
 * failing, so the check walks the whole object tree for them. A kind the chart is not expected
 * to render is an error too.
 */
public final class KubernetesSchema {

    /** apiVersion/kind to model class: the kinds the chart and the kustomize overlays render. */
    private static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
            Map.entry("apps/v1/StatefulSet", io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget",
                    io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy",
                    io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor",
                    io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule",
                    io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class));

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // The API server refuses a number or boolean where a string belongs (an unquoted env
            // value or label is a classic chart bug); Jackson would quietly turn it into text.
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private KubernetesSchema() {
    }

    /** Every problem found in these objects, each naming the object and the field; empty when valid. */
    public static List<String> problems(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> object : manifests.all()) {
            problems.addAll(problems(object));
        }
        return problems;
    }

    /** The problems of one object. */
    public static List<String> problems(Map<String, Object> object) {
        String id = object.get("kind") + "/" + Manifests.at(object, "metadata.name");
        List<String> problems = new ArrayList<>();
        if (Manifests.at(object, "metadata.name") == null) {
            problems.add(id + ": no metadata.name");
        }
        Class<?> type = KINDS.get(object.get("apiVersion") + "/" + object.get("kind"));
        if (type == null) {
            problems.add(id + ": unexpected apiVersion/kind " + object.get("apiVersion") + "/" + object.get("kind"));
            return problems;
        }
        Object typed;
        try {
            typed = MAPPER.convertValue(object, type);
        } catch (IllegalArgumentException e) {
            problems.add(id + ": " + e.getMessage());
            return problems;
        }
        unknownFields(typed, "", id, problems);
        return problems;
    }

    /** Walks fabric8 model objects, reporting every field that landed in additionalProperties. */
    private static void unknownFields(Object node, String path, String id, List<String> problems) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", id, problems);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "[" + k + "]", id, problems));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> c = node.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object value;
                try {
                    value = field.get(node);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        problems.add(id + ": unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "/" : path));
                    }
                } else {
                    unknownFields(value, path + "." + field.getName(), id, problems);
                }
            }
        }
    }
}
