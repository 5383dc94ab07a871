return await Lab.Pipeline.Cli.Main(args);
