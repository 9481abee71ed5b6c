import Testing
@testable import SparkConnect
