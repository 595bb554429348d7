// Prerequisites (Java 17+, Maven) and the jar cache: the broker and its runtime dependencies come
// from Maven Central into a cache dir outside git, once per Kafka version.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { javaCommand, runQuietly } from './command.ts'
import type { ResolvedOptions } from './layout.ts'

// Kafka 4.x logs through slf4j 1.7 (scala-logging, clients) and log4j2 (kafka-server pulls in log4j-api/core),
// but ships no slf4j binding in its Maven POMs; log4j-slf4j-impl is the slf4j-1.x -> log4j2 bridge that the
// Kafka distribution itself bundles. Without it every slf4j log line is silently dropped.
const LOG4J_VERSION = '2.24.3'
const DEPENDENCY_PLUGIN_VERSION = '3.8.1'

/** Thrown when Java 17+ or Maven is unavailable; the CLI maps it to exit code 2 so test runners can skip. */
export class KafkaPrerequisiteError extends Error {
  override name = 'KafkaPrerequisiteError'
  readonly exitCode = 2
}

export function checkJava(): void {
  const java = javaCommand()
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' })
  if (probe.error)
    throw new KafkaPrerequisiteError(`Kafka broker needs Java 17+ and Maven: java not found (${java})`)
  // `java -version` prints e.g. `openjdk version "17.0.15"` or `java version "1.8.0_392"` to stderr.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr)
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0
  if (major < 17) {
    throw new KafkaPrerequisiteError(
      `Kafka broker needs Java 17+ and Maven: ${java} is Java ${major || 'of unknown version'}`,
    )
  }
}

function checkMaven(): void {
  const probe = spawnSync('mvn', ['-v'], { encoding: 'utf8' })
  if (probe.error) throw new KafkaPrerequisiteError('Kafka broker needs Java 17+ and Maven: mvn not found')
}

function pomXml(version: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/kafka.ts: only used to pull the Kafka broker and its runtime deps into ./libs -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>implication.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>${version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>${LOG4J_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>${DEPENDENCY_PLUGIN_VERSION}</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
`
}

/** Makes sure <kafkaHome>/libs holds the broker's jars; returns the libs dir. */
export async function ensureKafkaJars({ version, kafkaHome, log }: ResolvedOptions): Promise<string> {
  const libs = join(kafkaHome, 'libs')
  const marker = join(kafkaHome, '.complete')
  if (existsSync(marker)) return libs

  checkMaven()
  log(`resolving Kafka ${version} jars from Maven Central into ${kafkaHome} (first run only)...`)
  const started = Date.now()
  mkdirSync(kafkaHome, { recursive: true })
  writeFileSync(join(kafkaHome, 'pom.xml'), pomXml(version))
  // Download next to the final dir and rename, so an interrupted run never leaves a half-filled libs/.
  rmSync(join(kafkaHome, 'libs.tmp'), { recursive: true, force: true })
  await runQuietly(
    'mvn',
    ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=libs.tmp', '-DincludeScope=runtime'],
    kafkaHome,
  )
  rmSync(libs, { recursive: true, force: true })
  renameSync(join(kafkaHome, 'libs.tmp'), libs)
  const jarCount = readdirSync(libs).filter((name) => name.endsWith('.jar')).length
  writeFileSync(marker, `${new Date().toISOString()} ${jarCount} jars\n`)
  log(`resolved ${jarCount} jars in ${((Date.now() - started) / 1000).toFixed(1)}s`)
  return libs
}
