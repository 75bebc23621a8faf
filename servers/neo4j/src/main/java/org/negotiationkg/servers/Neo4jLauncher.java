package org.negotiationkg.servers;

import java.nio.file.Path;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts an in-process Neo4j Community server (neo4j-harness) for the test suite.
 *
 * <p>Usage: {@code java -cp ... org.negotiationkg.servers.Neo4jLauncher PORT WORKDIR}. Bolt listens on
 * 127.0.0.1:PORT only, the HTTP server is off, the databases live under WORKDIR (a throw-away
 * directory the caller owns and removes), authentication is on: the user {@code neo4j} gets the
 * password in the environment variable NEO4J_LAUNCHER_PASSWORD (8+ characters); failed logins do
 * not lock the user (tests try wrong passwords on purpose). Prints one line
 * {@code READY bolt://127.0.0.1:PORT} when the server accepts connections, and stops at once when
 * its standard input closes (so it never outlives the test session that started it).
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path workDir = Path.of(args[1]);
        String password = System.getenv("NEO4J_LAUNCHER_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_LAUNCHER_PASSWORD must hold a password of 8 or more characters");
            System.exit(2);
        }
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(workDir)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                .withConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close));
        neo4j.databaseManagementService()
                .database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                .executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        System.out.println("READY " + neo4j.boltURI());
        System.out.flush();
        while (System.in.read() != -1) {
            // wait for the parent to close our standard input
        }
        // the data is throw-away: stop without the slow orderly shutdown
        Runtime.getRuntime().halt(0);
    }
}
