// iot check VALUE...: what each identifier is and whether it is valid. The logic is in CheckCommand, where tests call it.
return Iot.Check.CheckCommand.Run(args, Console.Out, Console.Error);
