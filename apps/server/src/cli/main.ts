console.log('scormflow');
