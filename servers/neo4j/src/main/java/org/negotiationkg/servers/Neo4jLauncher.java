package org.negotiationkg.servers;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts a Neo4j Community server for the test suite or as a user's local server ({@code kg/servers.py}).
 *
 * <p>Usage: {@code java -cp ... org.negotiationkg.servers.Neo4jLauncher [--persistent] PORT DIR}. Bolt listens on
 * 127.0.0.1:PORT only, the HTTP server is off, authentication is on: the user {@code neo4j} gets the password in
 * the environment variable NEO4J_LAUNCHER_PASSWORD (8+ characters). Prints one line
 * {@code READY bolt://127.0.0.1:PORT} when the server accepts connections.
 *
 * <ul>
 *   <li>Default (tests): an in-process neo4j-harness server whose databases live under DIR (a throw-away directory
 *       the caller owns and removes); failed logins do not lock the user (tests try wrong passwords on purpose); it
 *       stops at once when its standard input closes, so it never outlives the test session that started it.
 *   <li>{@code --persistent} (negkg neo4j start): an embedded database management service with its home in DIR,
 *       so the data survives restarts; it ignores standard input and shuts down in order on SIGTERM.
 * </ul>
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        boolean persistent = args.length == 3 && args[0].equals("--persistent");
        int at = persistent ? 1 : 0;
        int port = Integer.parseInt(args[at]);
        Path dir = Path.of(args[at + 1]);
        String password = System.getenv("NEO4J_LAUNCHER_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_LAUNCHER_PASSWORD must hold a password of 8 or more characters");
            System.exit(2);
        }
        if (persistent) {
            runPersistent(port, dir, password);
        } else {
            runThrowAway(port, dir, password);
        }
    }

    private static void setPassword(DatabaseManagementService dbms, String password) {
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                .executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
    }

    private static void runThrowAway(int port, Path workDir, String password) throws Exception {
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(workDir)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                .withConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close));
        setPassword(neo4j.databaseManagementService(), password);
        System.out.println("READY " + neo4j.boltURI());
        System.out.flush();
        while (System.in.read() != -1) {
            // wait for the parent to close our standard input
        }
        // the data is throw-away: stop without the slow orderly shutdown
        Runtime.getRuntime().halt(0);
    }

    private static void runPersistent(int port, Path home, String password) throws Exception {
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }));
        try {
            setPassword(dbms, password);
        } catch (QueryExecutionException e) {
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) { // the same password: set on an earlier start
                e.printStackTrace();
                System.exit(1); // runs the shutdown hook
            }
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
