/** The command line: train, generate, evaluate and predict, with job defaults read from conf/. */
package org.l1net.cli;
