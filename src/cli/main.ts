console.log('sessionlog');
