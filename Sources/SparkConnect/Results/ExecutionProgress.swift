/// How far a running query has got, from the server's `execution_progress` responses.
public struct ExecutionProgress: Sendable, Hashable {
    /// One Spark stage of the query.
    public struct Stage: Sendable, Hashable {
        /// Spark's stage id.
        public var id: Int
        /// Tasks in the stage.
        public var tasks: Int
        /// Tasks finished so far.
        public var completedTasks: Int
        /// Input bytes read so far.
        public var inputBytesRead: Int
        /// Whether the stage has finished.
        public var done: Bool

        /// Creates a stage snapshot.
        public init(id: Int, tasks: Int, completedTasks: Int, inputBytesRead: Int, done: Bool) {
            self.id = id
            self.tasks = tasks
            self.completedTasks = completedTasks
            self.inputBytesRead = inputBytesRead
            self.done = done
        }
    }

    /// The stages seen so far.
    public var stages: [Stage]
    /// Tasks running right now.
    public var inflightTasks: Int

    /// Creates a progress snapshot.
    public init(stages: [Stage], inflightTasks: Int) {
        self.stages = stages
        self.inflightTasks = inflightTasks
    }

    /// Tasks finished across all stages.
    public var completedTasks: Int { stages.reduce(0) { $0 + $1.completedTasks } }
    /// Tasks across all stages.
    public var totalTasks: Int { stages.reduce(0) { $0 + $1.tasks } }
}

/// Receives progress snapshots while a query runs (called from the result stream's task).
public typealias ProgressHandler = @Sendable (ExecutionProgress) -> Void
