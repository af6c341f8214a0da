package workshop.stack;

/**
 * Stops and restarts single brokers of the 3-broker cluster, for the replication module: the
 * grader stops a partition's leader while a producer writes, and checks that nothing
 * acknowledged is lost.
 */
public interface BrokerControl {

    /** Stops the broker with this id, as a crash would for its clients: connections drop, leadership moves. */
    void stopBroker(int brokerId);

    /** Starts a stopped broker again; it rejoins the cluster and catches up as a follower. */
    void startBroker(int brokerId);
}
