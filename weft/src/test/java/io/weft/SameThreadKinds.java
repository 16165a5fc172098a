package io.weft;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A test method that takes an {@link ExecutorKind} and runs on each kind
 * where a task's children run on its thread (all but a StealingExecutor of
 * several workers): for tests that order events by yields.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "on {0}")
@EnumSource(value = ExecutorKind.class, names = {"LOCAL", "POOL", "STEALING_1"})
public @interface SameThreadKinds {
}
