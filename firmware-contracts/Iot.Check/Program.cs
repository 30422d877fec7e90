Console.WriteLine("iot check: not yet");
