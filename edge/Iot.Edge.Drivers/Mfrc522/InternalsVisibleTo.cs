using System.Runtime.CompilerServices;

// The tests check internal pure functions (SPI address bytes, version check) and deadlines.
[assembly: InternalsVisibleTo("Iot.Edge.Drivers.Tests")]
