import Testing
@testable import MobileNet
