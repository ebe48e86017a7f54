/** The command line: train, sweep, generate, evaluate, predict and inspect, with job defaults read from conf/. */
package org.l1net.cli;
