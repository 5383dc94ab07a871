// Namespaces nearly every file of the CLI host uses, imported once for the project.
global using Lab.Pipeline.Io;
global using Lab.Pipeline.Results;
global using Lab.Pipeline.Study;
global using Lab.Stages.Core;
global using Lab.Stages.Evaluate;
global using Lab.Stages.Subset;
global using Lab.Stages.Train;
global using LanguageExt;
global using static LanguageExt.Prelude;
global using System.Globalization;
global using System.Text.Json;
global using Google.Protobuf;
global using Lab.Pipeline.Reeval;
global using Lab.Stages.Search;
global using TorchSharp;
global using static TorchSharp.torch;
global using Lab.Stages.Bench;
