global using Xunit;

// Tests run one at a time: two TorchSharp trainings at once in one process failed intermittently inside Adam's
// addcmul_ ("Expected false to be true" from c10::Scalar::toFloat). The pipeline itself trains one model at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
