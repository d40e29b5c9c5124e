/** jest: model, kernel bridge, formatting and schema logic of the lab extension (labextension/test). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/labextension/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      {
        tsconfig: '<rootDir>/labextension/test/tsconfig.json'
      }
    ]
  },
  // Keep the JupyterLab ESM packages out: the tested modules only import @lumino (UMD) and types.
  transformIgnorePatterns: ['/node_modules/'],
  reporters: ['default'],
  testTimeout: 20000
};
