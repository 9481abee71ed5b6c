import Testing
@testable import OrchardCLI
