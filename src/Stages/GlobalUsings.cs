// Namespaces nearly every stage uses, imported once for the project.
global using Lab.Stages.Core;
global using Lab.Stages.Export;
global using Lab.Stages.Subset;
global using Lab.Stages.Train;
global using TorchSharp;
global using static TorchSharp.torch;
global using Lab.Stages.Bench;
