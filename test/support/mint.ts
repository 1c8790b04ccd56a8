// The minting library lives in src/pki (the demo of `npm start` mints on the spot too).
export * from '../../src/pki/mint.js';
