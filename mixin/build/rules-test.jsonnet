// The promtool unit tests of the default rules.
import '../tests/rules.test.jsonnet'
