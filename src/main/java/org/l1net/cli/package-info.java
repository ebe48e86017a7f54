/** The command line: train, generate, evaluate, predict and inspect, with job defaults read from conf/. */
package org.l1net.cli;
