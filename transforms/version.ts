/** The version every built-in transformation and predicate reports (Kafka reports its own AppInfo version). */
export const TRANSFORMS_VERSION = '0.1.0'

/** The package Kafka's built-in transformations live in: their class names are what connector configs say. */
export const KAFKA_TRANSFORMS_PACKAGE = 'org.apache.kafka.connect.transforms'
